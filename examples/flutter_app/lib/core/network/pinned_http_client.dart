import 'dart:convert';
import 'dart:io';

import 'package:crypto/crypto.dart';
import 'package:flutter/foundation.dart';

import '../security/ssl_pins.dart';

/// The pin check below only runs when the system trust store rejects the certificate:
/// a CA-signed certificate of an attacker never reaches it.
HttpClient createPinnedClient() {
  final client = HttpClient();
  client.badCertificateCallback = (X509Certificate cert, String host, int port) {
    final hash = base64.encode(sha256.convert(cert.der).bytes);
    return SslPins.all.contains(hash);
  };
  return client;
}

/// Lets a debugging proxy in — but the else branch ships in release builds.
HttpClient createProxyClient() {
  final client = HttpClient();
  if (kDebugMode) {
    client.badCertificateCallback = (cert, host, port) => true;
  } else {
    client.badCertificateCallback = (cert, host, port) => true;
  }
  return client;
}
