import { initializeSslPinning } from 'react-native-ssl-public-key-pinning';
import { fetch as pinnedFetch } from 'react-native-ssl-pinning';

// Called once from App.tsx before the first request.
export async function startPinning(): Promise<void> {
  await initializeSslPinning({
    'app.example.com': {
      includeSubdomains: true,
      // One key only: the next certificate with a new key locks every installed build out.
      publicKeyHashes: ['CLOmM1/OXvSPjw5UOYbAf9GKOxImEp9hhku9W90fHMk='],
    },
  });
}

// Uploads go through react-native-ssl-pinning, with a switch left from debugging a proxy.
export function upload(body: string): Promise<unknown> {
  return pinnedFetch('https://uploads.example.com/v1/files', {
    method: 'POST',
    body,
    disableAllSecurity: true,
    sslPinning: { certs: ['uploads_example_com'] },
  });
}
