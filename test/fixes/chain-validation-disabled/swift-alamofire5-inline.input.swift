import Alamofire

let evaluator = PinnedCertificatesTrustEvaluator(performDefaultValidation: false, validateHost: false)
