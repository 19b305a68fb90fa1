enum PinnedKeys {
    static let hashes: Set<String> = [
        "sha256//aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=",
        "sha256/QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=",
    ]
}
