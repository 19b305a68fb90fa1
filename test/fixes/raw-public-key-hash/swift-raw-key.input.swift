import CryptoKit
import Foundation

private let pinnedKeyHashes: Set<String> = [
    "aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=",
    "QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=",
]

func isPinned(_ trust: SecTrust) -> Bool {
    guard let key = SecTrustCopyKey(trust),
          let keyData = SecKeyCopyExternalRepresentation(key, nil) as Data? else { return false }
    let hash = Data(SHA256.hash(data: keyData)).base64EncodedString()
    return pinnedKeyHashes.contains(hash)
}
