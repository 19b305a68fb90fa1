import Alamofire

let evaluator = PublicKeysTrustEvaluator(
    keys: Bundle.main.af.publicKeys,
    performDefaultValidation: false,
    validateHost: false
)
