import CryptoKit
import Foundation

func certificateHash(of trust: SecTrust) -> String? {
    guard let chain = SecTrustCopyCertificateChain(trust) as? [SecCertificate],
          let leaf = chain.first else { return nil }
    let data = subjectPublicKeyInfo(of: leaf) as Data
    return Data(SHA256.hash(data: data)).base64EncodedString()
}

let pinnedHashes: Set<String> = ["aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q="]

func isPinned(_ trust: SecTrust) -> Bool {
    guard let hash = certificateHash(of: trust) else { return false }
    return pinnedHashes.contains(hash)
}

/// The DER SubjectPublicKeyInfo of a certificate's public key: what an SPKI pin hashes.
/// Empty (so no pin matches) when the key's type or size has no header below.
private func subjectPublicKeyInfo(of certificate: SecCertificate) -> CFData {
    guard let key = SecCertificateCopyKey(certificate) else { return Data() as CFData }
    return subjectPublicKeyInfo(of: key) as CFData
}

/// The DER SubjectPublicKeyInfo of a public key: the ASN.1 header for its type and size, then
/// SecKeyCopyExternalRepresentation's bytes. Empty (so no pin matches) for other keys.
private func subjectPublicKeyInfo(of key: SecKey) -> Data {
    guard let attributes = SecKeyCopyAttributes(key) as? [CFString: Any],
          let type = attributes[kSecAttrKeyType] as? String,
          let size = attributes[kSecAttrKeySizeInBits] as? Int,
          let header = spkiHeader(keyType: type, keySizeInBits: size),
          let raw = SecKeyCopyExternalRepresentation(key, nil) as Data? else { return Data() }
    return Data(header) + raw
}

/// The ASN.1 SubjectPublicKeyInfo header that goes before a key of this type and size.
private func spkiHeader(keyType: String, keySizeInBits: Int) -> [UInt8]? {
    if keyType == (kSecAttrKeyTypeRSA as String) {
        switch keySizeInBits {
        case 2048: return [0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x0f, 0x00]
        case 3072: return [0x30, 0x82, 0x01, 0xa2, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x8f, 0x00]
        case 4096: return [0x30, 0x82, 0x02, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x02, 0x0f, 0x00]
        default: return nil
        }
    }
    if keyType == (kSecAttrKeyTypeECSECPrimeRandom as String) {
        switch keySizeInBits {
        case 256: return [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00]
        case 384: return [0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00]
        case 521: return [0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00]
        default: return nil
        }
    }
    return nil
}
