import AFNetworking

func makeManager() -> AFHTTPSessionManager {
    let manager = AFHTTPSessionManager()
    let policy = AFSecurityPolicy(pinningMode: .publicKey)
    policy.validatesDomainName = false
    manager.securityPolicy = policy
    return manager
}
