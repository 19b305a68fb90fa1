// Misbehaving TCP peers on loopback for the failure tests of fetchChain.
import * as net from 'node:net';

export interface LoopbackPeer {
  host: string;
  port: number;
  /** Bytes the peer received (to check that nothing but a handshake was sent). */
  received: () => number;
  connections: () => number;
  close(): Promise<void>;
}

/** A TCP server on `host` whose connections are handled by `onConnection`. */
export async function startPeer(onConnection: (socket: net.Socket) => void, host = '127.0.0.1'): Promise<LoopbackPeer> {
  const sockets = new Set<net.Socket>();
  let received = 0;
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', (chunk) => (received += chunk.length));
    socket.on('error', () => {}); // resets are what some peers are for
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    received: () => received,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts and never says a word. */
export const silentPeer = (): Promise<LoopbackPeer> => startPeer(() => {});

/** Answers like an HTTP server, which is not TLS. */
export const httpPeer = (): Promise<LoopbackPeer> =>
  startPeer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok'));

/** Resets the connection (RST) as soon as the ClientHello arrives. */
export const resettingPeer = (): Promise<LoopbackPeer> =>
  startPeer((socket) => socket.once('data', () => socket.resetAndDestroy()));

/** Whether ::1 can be bound here (some containers have no IPv6 loopback). */
export async function canBindIpv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}
