'use strict';
// Admit to first frame (issue 13, target < 1 s on loopback; docs/PERFORMANCE.md; step 5 of
// scripts/bench): the time from the agent's click on "Admettre" to the first remote video
// frame on the citizen's and on the agent's page.
//
// Starts the real server on a fresh demo database and Debian's Chromium with a fake camera
// and microphone (tests/e2e/harness.js and room_helpers.js, as tests/e2e/room.test.js does).
// Each run books a video appointment over the API (starting in 5 minutes), the citizen joins
// its room ("Rejoindre") and waits, the agent signs in, opens the room and clicks "Admettre":
// a capturing click listener notes the time of the click; on each page every remote
// <video data-remote> gets requestVideoFrameCallback, whose first call is the first remote
// frame presented (decoded and composited). Both times are read on the same clock
// (performance.timeOrigin + performance.now(), epoch milliseconds; one machine). A warm-up
// run first (not counted), then RUNS runs, each in new browser contexts. Each run also prints
// when, after the click, each page first received each signalling message, created its peer
// connection, got its first track, reached "connected", received its first video packet and
// decoded its first frame (getStats every 10 ms): where the time goes.
//
//   VG_BINARY=build/visioguichet [VG_SOURCE_DIR=.] node bench/admit_first_frame.js [--runs 10]
//
// Prints each run and a line `RESULT key=value ...` (read by bench/report.py).

const path = require('node:path');

const E2E = path.join(__dirname, '..', 'tests', 'e2e');
const { startServer, launchBrowser, newContext } = require(path.join(E2E, 'harness'));
const { signIn } = require(path.join(E2E, 'staff_helpers'));
const { ROOM_BROWSER_ARGS, bookVideo, startsIn } = require(path.join(E2E, 'room_helpers'));

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
const TIMEOUT = 30_000;

// Installed in every page before its scripts: the click on "Admettre" and the first frame
// of each remote video, on one clock.
function instrument() {
  const at = () => performance.timeOrigin + performance.now();
  window.vgBench = { admitClick: null, firstFrame: null, marks: {} };
  // Where the time goes: the first of each signalling message received, the peer
  // connection's creation, its first track and its "connected" state.
  const mark = (name) => { if (!(name in window.vgBench.marks)) window.vgBench.marks[name] = at(); };
  window.WebSocket = new Proxy(window.WebSocket, {
    construct(target, args) {
      const ws = new target(...args);
      ws.addEventListener('message', (e) => {
        try { mark(`ws ${JSON.parse(e.data).type}`); } catch { /* not JSON */ }
      });
      return ws;
    },
  });
  window.RTCPeerConnection = new Proxy(window.RTCPeerConnection, {
    construct(target, args) {
      const pc = new target(...args);
      mark('pc created');
      pc.addEventListener('track', () => mark('pc track'));
      pc.addEventListener('connectionstatechange', () => mark(`pc ${pc.connectionState}`));
      // The first video packet received and the first frame decoded (getStats every 10 ms
      // until both are seen): tells the network and the decoder from the presentation.
      const poll = setInterval(async () => {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
          if (r.packetsReceived > 0) mark('video packet');
          if (r.framesDecoded > 0) mark('frame decoded');
        });
        if ('frame decoded' in window.vgBench.marks || pc.connectionState === 'closed') clearInterval(poll);
      }, 10);
      return pc;
    },
  });
  document.addEventListener('click', (e) => {
    const b = e.target.closest && e.target.closest('button');
    if (b && b.textContent.trim() === 'Admettre' && window.vgBench.admitClick === null) window.vgBench.admitClick = at();
  }, true);
  const watch = (v) => {
    if (v.vgWatched) return;
    v.vgWatched = true;
    v.requestVideoFrameCallback(() => {
      if (window.vgBench.firstFrame === null) window.vgBench.firstFrame = at();
    });
  };
  new MutationObserver(() => {
    for (const v of document.querySelectorAll('video[data-remote]')) watch(v);
  }).observe(document, { childList: true, subtree: true });
}

const firstFrame = (page) => page.waitForFunction(() => window.vgBench.firstFrame, null,
  { polling: 'raf', timeout: TIMEOUT }).then((h) => h.jsonValue());

async function once(server, browser, n) {
  const { id, roomUrl, agent } = await bookVideo(server, `Bench${n}`, `bench${n}@example.org`);
  startsIn(server, id, 300);
  const citizenCtx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  const agentCtx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  try {
    const citizen = await citizenCtx.newPage();
    const desk = await agentCtx.newPage();
    await citizen.addInitScript(instrument);
    await desk.addInitScript(instrument);
    await citizen.goto(server.url(new URL(roomUrl).pathname));
    await citizen.getByRole('button', { name: 'Rejoindre' }).click();
    await citizen.getByRole('heading', { name: 'Salle d\'attente' }).waitFor();
    await signIn(desk, server, agent);
    await desk.goto(server.url(`/console/appointments/${id}/room`));
    const admit = desk.getByRole('button', { name: 'Admettre' });
    await admit.waitFor();
    const frames = [firstFrame(citizen), firstFrame(desk)];
    await admit.click();
    const [citizenFrame, agentFrame] = await Promise.all(frames);
    const click = await desk.evaluate(() => window.vgBench.admitClick);
    const marks = async (page) => Object.fromEntries(Object.entries(
      await page.evaluate(() => window.vgBench.marks)).map(([k, v]) => [k, v - click]));
    return {
      citizen: citizenFrame - click, agent: agentFrame - click,
      marks: { citizen: await marks(citizen), agent: await marks(desk) },
    };
  } finally {
    await citizenCtx.close();
    await agentCtx.close();
    startsIn(server, id, -7200 - n * 1800); // out of the way of the next runs (same agent perhaps)
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

async function main() {
  const server = await startServer();
  const browser = await launchBrowser(ROOM_BROWSER_ARGS);
  const citizen = [];
  const agent = [];
  try {
    const warm = await once(server, browser, 0);
    console.log(`warm-up: citizen ${warm.citizen.toFixed(0)} ms, agent ${warm.agent.toFixed(0)} ms (not counted)`);
    for (let i = 1; i <= RUNS; i++) {
      const r = await once(server, browser, i);
      citizen.push(r.citizen);
      agent.push(r.agent);
      console.log(`run ${i}: admit to first remote frame: citizen ${r.citizen.toFixed(0)} ms, agent ${r.agent.toFixed(0)} ms`);
      for (const side of ['citizen', 'agent']) {
        const steps = Object.entries(r.marks[side]).filter(([, v]) => v >= 0).sort((a, b) => a[1] - b[1]);
        console.log(`    ${side}: ${steps.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const both = citizen.map((c, i) => Math.max(c, agent[i]));
  console.log(`admit to first remote frame over ${RUNS} runs: citizen p50 ${pct(citizen, 50).toFixed(0)} ms, max ${Math.max(...citizen).toFixed(0)} ms; agent p50 ${pct(agent, 50).toFixed(0)} ms, max ${Math.max(...agent).toFixed(0)} ms`);
  console.log(['RESULT', `runs=${RUNS}`,
    `citizen_p50_ms=${pct(citizen, 50).toFixed(0)}`, `citizen_max_ms=${Math.max(...citizen).toFixed(0)}`,
    `agent_p50_ms=${pct(agent, 50).toFixed(0)}`, `agent_max_ms=${Math.max(...agent).toFixed(0)}`,
    `both_p50_ms=${pct(both, 50).toFixed(0)}`, `both_max_ms=${Math.max(...both).toFixed(0)}`].join(' '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
