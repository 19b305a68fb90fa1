import Alamofire

let serverTrustPolicies: [String: ServerTrustPolicy] = [
    "api.example.com": .disableEvaluation,
]
