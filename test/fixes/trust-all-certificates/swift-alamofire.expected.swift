import Alamofire

let trustManager = ServerTrustManager(evaluators: [
    "api.example.com": PublicKeysTrustEvaluator(),
    "staging.example.com": DefaultTrustEvaluator(),
])
