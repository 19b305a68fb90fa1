import 'dart:convert';
import 'dart:io';

bool sha1Pinned(X509Certificate cert, Set<String> pins) => pins.contains(base64.encode(cert.sha1));
