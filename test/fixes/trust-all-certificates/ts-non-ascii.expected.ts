import * as https from 'node:https';

// Zertifikatsprüfung für die Staging-Umgebung 🔒 — „vorübergehend“ abgeschaltet.
export const agent = new https.Agent({ servername: 'stäging.example.com', keepAlive: true });
