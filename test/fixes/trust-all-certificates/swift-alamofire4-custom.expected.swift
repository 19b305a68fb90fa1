import Alamofire

let serverTrustPolicies: [String: ServerTrustPolicy] = [
    "dev.example.com": .performDefaultEvaluation(validateHost: true),
]
