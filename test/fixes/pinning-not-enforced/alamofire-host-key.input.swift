import Alamofire

let manager = ServerTrustManager(evaluators: [
    "https://api.example.com/v2": PublicKeysTrustEvaluator(),
])
