// The room's signalling: one WebSocket to /ws/room (docs/VIDEO.md, "Messages"). Says hello
// (with the resume secret of the last welcome, so that after a network drop or a server
// restart the participant comes back admitted), reconnects with a growing delay, and hands
// every server message to its listeners as an event named after the message's type.
const MAX_DELAY_MS = 10_000;
const QUEUE_MAX = 50;
// Errors after which reconnecting cannot help (the server closes the socket itself).
const FATAL = new Set(['unauthorised', 'not_open', 'too_large', 'revoked']);

export class Signal extends EventTarget {
  // hello: {type:'hello', room|appointment|invite}; key: where the resume secret is kept for
  // this tab (sessionStorage: a reload resumes too, another tab does not).
  constructor(hello, key) {
    super();
    this.hello = hello;
    this.key = key;
    this.ws = null;
    this.welcomed = false;
    this.stopped = true;
    this.fatal = null;
    this.attempts = 0;
    this.timer = 0;
    this.queue = [];
    try { this.resume = sessionStorage.getItem(key) || ''; } catch { this.resume = ''; }
    window.addEventListener('online', () => {
      // Back on a network: the old socket may be half-open; start afresh at once.
      if (this.stopped || this.fatal) return;
      if (this.ws) this.ws.close();
      else this.reconnectNow();
    });
  }

  get socket() { return this.ws; }

  start() {
    this.stopped = false;
    this.fatal = null;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
  }

  reconnectNow() {
    clearTimeout(this.timer);
    this.connect();
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(`${scheme}${location.host}/ws/room`);
    this.ws = ws;
    this.welcomed = false;
    ws.addEventListener('open', () => {
      const hello = { ...this.hello };
      if (this.resume) hello.resume = this.resume;
      ws.send(JSON.stringify(hello));
    });
    ws.addEventListener('message', (e) => {
      if (this.ws !== ws || typeof e.data !== 'string') return;
      let m;
      try { m = JSON.parse(e.data); } catch { return; }
      if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
      if (m.type === 'welcome') {
        const resumed = Boolean(this.resume) && this.attempts > 0;
        this.welcomed = true;
        this.attempts = 0;
        if (typeof m.resume === 'string' && m.resume) {
          this.resume = m.resume;
          try { sessionStorage.setItem(this.key, m.resume); } catch { /* private mode */ }
        }
        m.reconnected = resumed;
        this.flush();
      }
      if (m.type === 'error' && FATAL.has(m.code)) this.fatal = m.code;
      this.dispatchEvent(new CustomEvent(m.type, { detail: m }));
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.welcomed = false;
      // 4000: the same participant connected again elsewhere (another tab): that one wins.
      if (e.code === 4000) this.fatal = 'replaced';
      this.dispatchEvent(new CustomEvent('down', { detail: { code: e.code, fatal: this.fatal } }));
      if (this.stopped || this.fatal) return;
      const delay = Math.min(MAX_DELAY_MS, 300 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
      this.attempts += 1;
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  // Sends now when welcomed; otherwise keeps chat, events and commands for the next welcome.
  // WebRTC signals are not kept: after a reconnect the peers renegotiate what they need.
  send(msg) {
    if (this.ws && this.welcomed && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    if (msg.type !== 'signal' && this.queue.length < QUEUE_MAX) this.queue.push(msg);
    return false;
  }

  flush() {
    const pending = this.queue;
    this.queue = [];
    for (const m of pending) this.send(m);
  }
}
