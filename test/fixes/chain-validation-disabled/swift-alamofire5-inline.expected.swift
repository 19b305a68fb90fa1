import Alamofire

let evaluator = PinnedCertificatesTrustEvaluator(validateHost: false)
