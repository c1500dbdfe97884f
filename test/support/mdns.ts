// Multicast DNS kept on loopback (FACTS.md: these options work here), on a port
// of the test process's own, so tests never query or disturb the real network.
export const LOOPBACK_MDNS = { interface: '127.0.0.1', bind: '0.0.0.0', port: 53_530 + (process.pid % 400), loopback: true, ttl: 1 };
