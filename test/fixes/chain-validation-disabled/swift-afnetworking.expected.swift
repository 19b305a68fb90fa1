import AFNetworking

func makeManager() -> AFHTTPSessionManager {
    let manager = AFHTTPSessionManager()
    let policy = AFSecurityPolicy(pinningMode: .publicKey)
    policy.allowInvalidCertificates = false
    manager.securityPolicy = policy
    return manager
}
