import Alamofire

let manager = ServerTrustManager(evaluators: [
    "api.example.com": PublicKeysTrustEvaluator(),
])
