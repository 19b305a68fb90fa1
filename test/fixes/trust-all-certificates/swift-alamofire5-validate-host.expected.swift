import Alamofire

let trustManager = ServerTrustManager(evaluators: [
    "api.example.com": DefaultTrustEvaluator(validateHost: true),
])
