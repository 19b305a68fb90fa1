import 'dart:io';

import 'package:crypto/crypto.dart';

bool fingerprintMatches(X509Certificate cert, Set<String> pins) {
  final fingerprint = sha256.convert(cert.der).toString();
  return pins.contains(fingerprint);
}
