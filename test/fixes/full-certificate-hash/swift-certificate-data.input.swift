import CryptoKit
import Foundation

func certificateHash(of trust: SecTrust) -> String? {
    guard let chain = SecTrustCopyCertificateChain(trust) as? [SecCertificate],
          let leaf = chain.first else { return nil }
    let data = SecCertificateCopyData(leaf) as Data
    return Data(SHA256.hash(data: data)).base64EncodedString()
}

let pinnedHashes: Set<String> = ["aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q="]

func isPinned(_ trust: SecTrust) -> Bool {
    guard let hash = certificateHash(of: trust) else { return false }
    return pinnedHashes.contains(hash)
}
