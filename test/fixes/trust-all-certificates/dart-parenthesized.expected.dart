import 'dart:io';

HttpClient client() {
  final client = HttpClient();
  return client;
}
