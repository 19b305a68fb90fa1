import Alamofire

let trustManager = ServerTrustManager(evaluators: [
    "api.example.com": PublicKeysTrustEvaluator(keys: Bundle.main.af.publicKeys, validateHost: false),
])
