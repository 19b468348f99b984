// Camera, microphone and sound check before a video appointment. Nothing leaves the browser.
// "Everything works" is said only once the camera and microphone answered and the person
// said they heard the test sound.
const box = document.querySelector('[data-device-test]');
if (box && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  box.hidden = false;
  const mediaStatus = box.querySelector('[data-media-status]');
  const soundStatus = box.querySelector('[data-sound-status]');
  const result = box.querySelector('[data-result]');
  const question = box.querySelector('[data-heard-question]');
  const video = box.querySelector('[data-preview]');
  const level = box.querySelector('[data-level]');
  let mediaOk = false;
  let heard = false;
  let audio = null;

  const conclude = () => {
    result.hidden = !(mediaOk && heard);
    result.textContent = mediaOk && heard ? result.dataset.ok : '';
  };
  const meter = (stream) => {
    audio = audio || new AudioContext();
    const analyser = audio.createAnalyser();
    audio.createMediaStreamSource(stream).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const tick = () => {
      analyser.getByteTimeDomainData(data);
      let peak = 0;
      for (const v of data) peak = Math.max(peak, Math.abs(v - 128) / 128);
      level.value = peak;
      requestAnimationFrame(tick);
    };
    tick();
  };

  box.querySelector('[data-start]').addEventListener('click', async () => {
    mediaOk = false;
    conclude();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      video.srcObject = stream;
      meter(stream);
      mediaOk = true;
      mediaStatus.textContent = mediaStatus.dataset.ok;
    } catch (e) {
      if (e && (e.name === 'NotAllowedError' || e.name === 'SecurityError')) {
        mediaStatus.textContent = mediaStatus.dataset.denied;
      } else if (e && (e.name === 'NotFoundError' || e.name === 'OverconstrainedError')) {
        mediaStatus.textContent = mediaStatus.dataset.noCamera;
        // The microphone may still be there: its level is worth seeing.
        navigator.mediaDevices.getUserMedia({ audio: true }).then(meter, () => {});
      } else {
        mediaStatus.textContent = mediaStatus.dataset.fail;
      }
    }
    conclude();
  });

  box.querySelector('[data-play]').addEventListener('click', () => {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 660;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 1.5);
    box.dataset.tonePlayed = String(Number(box.dataset.tonePlayed || 0) + 1);
    question.hidden = false;
  });

  for (const answer of box.querySelectorAll('[data-heard]')) {
    answer.addEventListener('click', () => {
      heard = answer.dataset.heard === 'yes';
      soundStatus.textContent = heard ? soundStatus.dataset.ok : soundStatus.dataset.fail;
      conclude();
    });
  }
}

// The network: the room's WebSocket (/ws/room) and the TURN relay, each reachable or not from
// here. The relay is asked for an allocation with a made-up user: an answer, even "401
// Unauthorized", shows it can be reached; no answer (701) shows it cannot.
const net = document.querySelector('[data-network-test]');
const advice = document.querySelector('[data-device-advice]');

function browserFamily() {
  const ua = navigator.userAgent;
  if (/iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)) return 'ios';
  if (/Android/.test(ua)) return 'android';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Edg\/|Chrome\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}

// The advice for this browser first, named as such.
if (advice) {
  const list = advice.querySelector('[data-your-browser]');
  const mine = list && list.querySelector(`[data-browser="${browserFamily()}"]`);
  if (mine) {
    const label = document.createElement('strong');
    label.textContent = `${list.dataset.yourBrowser} `;
    mine.prepend(label);
    mine.dataset.yours = '';
    list.prepend(mine);
  }
}

function checkSocket(timeoutMs = 6000) {
  return new Promise((resolve) => {
    let ws;
    const done = (ok) => {
      clearTimeout(timer);
      resolve(ok);
      try { ws.close(1000); } catch { /* never opened */ }
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    try {
      ws = new WebSocket(`${location.protocol === 'https:' ? 'wss://' : 'ws://'}${location.host}/ws/room`);
    } catch {
      done(false);
      return;
    }
    ws.addEventListener('open', () => done(true));
    ws.addEventListener('close', () => done(false));
  });
}

async function checkTurn(urls, timeoutMs = 8000) {
  if (!urls.length) return 'none';
  if (!window.RTCPeerConnection) return 'unknown';
  let pc;
  try {
    pc = new RTCPeerConnection({
      iceServers: [{ urls, username: 'device-test', credential: 'device-test' }],
      iceTransportPolicy: 'relay',
    });
  } catch {
    return 'fail';
  }
  const canTell = 'onicecandidateerror' in pc;
  const result = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(canTell ? 'fail' : 'unknown'), timeoutMs);
    const end = (r) => { clearTimeout(timer); resolve(r); };
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && / typ relay /.test(e.candidate.candidate)) end('ok');
    });
    pc.addEventListener('icecandidateerror', (e) => {
      // 300-699: the relay answered (401 for our made-up user); 701: no answer.
      if (e.errorCode >= 300 && e.errorCode < 700) end('ok');
    });
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') end(canTell ? 'fail' : 'unknown');
    });
    pc.createDataChannel('device-test');
    pc.createOffer().then((o) => pc.setLocalDescription(o)).catch(() => end('fail'));
  });
  pc.close();
  return result;
}

if (net) {
  net.hidden = false;
  const wsStatus = net.querySelector('[data-ws-status]');
  const turnStatus = net.querySelector('[data-turn-status]');
  const urls = (net.dataset.turnUrls || '').split(',').map((u) => u.trim()).filter(Boolean);
  const networkAdvice = document.querySelector('[data-network-advice]');
  const run = async () => {
    for (const s of [wsStatus, turnStatus]) {
      s.textContent = net.dataset.checking;
      delete s.dataset.outcome;
    }
    const [ws, turn] = await Promise.all([checkSocket(), checkTurn(urls)]);
    wsStatus.dataset.outcome = ws ? 'ok' : 'fail';
    wsStatus.textContent = ws ? wsStatus.dataset.ok : wsStatus.dataset.fail;
    turnStatus.dataset.outcome = turn;
    turnStatus.textContent = turnStatus.dataset[turn];
    if (networkAdvice) networkAdvice.hidden = ws && turn !== 'fail';
  };
  net.querySelector('[data-network-start]').addEventListener('click', run);
  run();
}
