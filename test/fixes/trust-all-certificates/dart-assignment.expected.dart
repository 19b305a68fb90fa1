import 'dart:io';

HttpClient buildClient() {
  final client = HttpClient();
  client.connectionTimeout = const Duration(seconds: 10);
  return client;
}
