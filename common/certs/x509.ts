// The one door to @peculiar/x509 for common/certs: its dependency tsyringe refuses to load
// without the Reflect metadata API, so the polyfill is loaded first.
import 'reflect-metadata';
export * from '@peculiar/x509';
