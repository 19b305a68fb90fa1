import Alamofire

let evaluator = PublicKeysTrustEvaluator(
    keys: Bundle.main.af.publicKeys,
    validateHost: false
)
