/** "example.com:443", "[2001:db8::1]:443": how a host and port read in details and targets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
