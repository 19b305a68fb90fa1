import 'dart:io';

HttpClient client() {
  final client = HttpClient();
  client.badCertificateCallback = ((X509Certificate cert, String host, int port) {
    return true;
  });
  return client;
}
