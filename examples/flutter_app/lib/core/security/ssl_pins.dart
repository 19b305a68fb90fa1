/// SPKI pins of the API servers (base64 SHA-256 of the SubjectPublicKeyInfo).
class SslPins {
  SslPins._();

  /// Current key of api.example.com.
  static const String primary = 'rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg=';

  /// Copied from a guide and never replaced.
  static const String backup = 'xyz789BackupHash+base64+format=';

  static const List<String> all = [primary, backup];

  /// Only one pin for the upload host.
  static const Set<String> uploads = {'Ho3gEv5En2rTd9p7RYjHsmhVUxZm36TPma0xTGwmtK4='};
}
