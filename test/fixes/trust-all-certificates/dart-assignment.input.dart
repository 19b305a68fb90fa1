import 'dart:io';

HttpClient buildClient() {
  final client = HttpClient();
  client.connectionTimeout = const Duration(seconds: 10);
  client.badCertificateCallback = (X509Certificate cert, String host, int port) => true;
  return client;
}
