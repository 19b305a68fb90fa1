import Alamofire

let serverTrustPolicies: [String: ServerTrustPolicy] = [
    "api.example.com": ServerTrustPolicy.PerformDefaultEvaluation(validateHost: true),
]
