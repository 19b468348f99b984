// The video room in the browser (docs/VIDEO_BROWSER.md): the citizen's, the agent's and the
// guest's pages share this module. No framework; every text comes from the page (data-t-*),
// in the page's language. Works on current Chrome, Firefox and Safari, phones included.
import { Signal } from './room-signal.js';
import { Peer, Quality } from './room-peer.js';

const MAX_DOCUMENT = 10 * 1024 * 1024;
const POOR_SAMPLES = 3; // consecutive poor samples (2 s apart) before audio only

const root = document.querySelector('[data-room]');
if (root) start(root);

function texts(el) {
  const t = {};
  if (!el) return t;
  for (const a of el.attributes) if (a.name.startsWith('data-t-')) t[a.name.slice(7)] = a.value;
  return t;
}

function start(rootEl) {
  const t = texts(rootEl.querySelector('[data-room-texts]'));
  const role = rootEl.dataset.role;
  const lang = document.documentElement.lang || 'fr';
  const $ = (sel) => rootEl.querySelector(sel);
  const live = $('[data-live]');
  const notice = $('[data-notice]');
  const remotes = $('[data-remotes]');
  const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });

  const hello = { type: 'hello' };
  if (rootEl.dataset.roomToken) hello.room = rootEl.dataset.roomToken;
  if (rootEl.dataset.appointment) hello.appointment = Number(rootEl.dataset.appointment);
  if (rootEl.dataset.invite) hello.invite = rootEl.dataset.invite;
  const key = `vg-room:${hello.room || hello.invite || `a${hello.appointment}`}`;
  const signal = new Signal(hello, key);

  const media = { stream: null, audio: null, video: null, screen: null };
  const peers = new Map();
  const present = new Set();
  const quality = new Quality();
  let me = '';
  let config = { iceServers: [] };
  let stage = 'check';
  let qualityTimer = 0;
  let poor = 0;
  let audioOnly = false;
  let lostSignal = false;
  let finished = false;
  let lobbySize = 0;

  // ---- what the page says ----
  const announce = (text) => {
    if (!live || !text) return;
    live.textContent = '';
    requestAnimationFrame(() => { live.textContent = text; });
  };
  const say = (text, kind = 'info') => {
    if (!notice) return;
    notice.textContent = text || '';
    notice.dataset.kind = kind;
    notice.hidden = !text;
  };
  const setStage = (s) => {
    stage = s;
    rootEl.dataset.roomStage = s;
    for (const el of rootEl.querySelectorAll('[data-stage]')) {
      el.hidden = !el.dataset.stage.split(' ').includes(s);
    }
  };
  setStage(role === 'agent' ? 'waiting' : 'check');

  // ---- local media ----
  const acquire = async (constraints) => navigator.mediaDevices.getUserMedia(constraints);
  async function getMedia() {
    if (media.stream) return media;
    let stream = null;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) {
      say(t.unsupported, 'error');
    } else {
      try {
        stream = await acquire({ audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' } });
      } catch (e) {
        const denied = e && (e.name === 'NotAllowedError' || e.name === 'SecurityError');
        say(denied ? t.media_denied : (e && e.name === 'NotFoundError' ? t.media_missing : t.media_failed), 'error');
        if (!denied) {
          for (const c of [{ audio: true }, { video: true }]) {
            try { stream = await acquire(c); break; } catch { /* try the other */ }
          }
        }
      }
    }
    media.stream = stream || new MediaStream();
    media.audio = media.stream.getAudioTracks()[0] || null;
    media.video = media.stream.getVideoTracks()[0] || null;
    for (const v of rootEl.querySelectorAll('[data-self], [data-preview]')) v.srcObject = media.stream;
    if (media.audio) meter(media.stream);
    await cameras();
    controls();
    return media;
  }

  function meter(stream) {
    const level = $('[data-level]');
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!level || !Ctx) return;
    const audio = new Ctx();
    const analyser = audio.createAnalyser();
    audio.createMediaStreamSource(stream).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const tick = () => {
      if (finished) return;
      analyser.getByteTimeDomainData(data);
      let peak = 0;
      for (const v of data) peak = Math.max(peak, Math.abs(v - 128) / 128);
      level.value = peak;
      requestAnimationFrame(tick);
    };
    tick();
  }

  async function cameras() {
    const button = $('[data-switch]');
    if (!button || !navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
    const list = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    button.hidden = list.length < 2 || !media.video;
  }

  // ---- controls ----
  function controls() {
    const mute = $('[data-mute]');
    const camera = $('[data-camera]');
    const share = $('[data-share]');
    if (mute) {
      mute.disabled = !media.audio;
      mute.textContent = media.audio && !media.audio.enabled ? t.unmute : t.mute;
    }
    if (camera) {
      camera.disabled = !media.video;
      camera.textContent = media.video && !media.video.enabled ? t.camera_on : t.camera_off;
    }
    if (share) {
      share.hidden = !(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
      share.textContent = media.screen ? t.stop_share : t.share;
    }
  }

  $('[data-mute]')?.addEventListener('click', () => {
    if (!media.audio) return;
    media.audio.enabled = !media.audio.enabled;
    controls();
    announce(media.audio.enabled ? t.unmuted : t.muted);
  });

  $('[data-camera]')?.addEventListener('click', () => {
    if (!media.video) return;
    media.video.enabled = !media.video.enabled;
    controls();
    announce(media.video.enabled ? t.camera_is_on : t.camera_is_off);
  });

  $('[data-switch]')?.addEventListener('click', async () => {
    const list = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    if (list.length < 2 || !media.video) return;
    const currentId = media.video.getSettings().deviceId;
    const next = list[(list.findIndex((d) => d.deviceId === currentId) + 1) % list.length];
    const enabled = media.video.enabled;
    // Phones often cannot open two cameras at once: stop this one first.
    media.video.stop();
    let track;
    try {
      [track] = (await acquire({ video: { deviceId: { exact: next.deviceId } } })).getVideoTracks();
    } catch {
      [track] = (await acquire({ video: true })).getVideoTracks();
    }
    media.stream.removeTrack(media.video);
    media.stream.addTrack(track);
    track.enabled = enabled;
    media.video = track;
    if (!audioOnly) for (const p of peers.values()) p.replaceCamera(track);
    announce(t.camera_is_on);
  });

  $('[data-share]')?.addEventListener('click', async () => {
    if (media.screen) return stopShare();
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      return undefined; // refused or cancelled: nothing to say
    }
    const [track] = stream.getVideoTracks();
    media.screen = { stream, track };
    track.addEventListener('ended', stopShare);
    for (const p of peers.values()) p.shareScreen(track, stream);
    event('screen_share_started');
    controls();
    announce(t.sharing);
    return undefined;
  });

  function stopShare() {
    if (!media.screen) return;
    media.screen.track.stop();
    media.screen = null;
    for (const p of peers.values()) p.stopScreen();
    event('screen_share_stopped');
    controls();
    announce(t.share_stopped);
  }

  $('[data-leave]')?.addEventListener('click', () => finish(t.left, true));
  $('[data-rejoin]')?.addEventListener('click', () => window.location.reload());
  $('[data-check-start]')?.addEventListener('click', () => getMedia());
  $('[data-video-retry]')?.addEventListener('click', () => fallBack(false));

  // ---- joining ----
  const join = $('[data-join]');
  join?.addEventListener('click', async () => {
    join.disabled = true;
    announce(t.joining);
    await getMedia();
    signal.start();
  });

  // ---- chat and documents ----
  const log = $('[data-chat-log]');
  const who = (from, fromRole) => (from === me ? t.from_me : t[`from_${fromRole}`] || fromRole || '');
  function line(author, at, body) {
    if (!log) return;
    $('[data-chat-empty]')?.remove();
    const li = document.createElement('p');
    const head = document.createElement('span');
    head.className = 'chat-meta';
    head.textContent = `${author}, ${clock.format(new Date(at * 1000))}`;
    const text = document.createElement('span');
    text.className = 'chat-text';
    text.textContent = body;
    li.append(head, document.createTextNode(' '), text);
    log.append(li);
    log.scrollTop = log.scrollHeight;
  }

  const chat = $('[data-chat-form]');
  chat?.addEventListener('submit', (e) => {
    e.preventDefault();
    const field = chat.querySelector('input, textarea');
    const text = field.value.trim();
    if (!text) return;
    signal.send({ type: 'chat', text: text.slice(0, 2000) });
    field.value = '';
    field.focus();
  });

  const documentForm = $('[data-document-form]');
  documentForm?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = documentForm.querySelector('[data-document-status]');
    const input = documentForm.querySelector('input[type=file]');
    const file = input.files && input.files[0];
    const show = (text) => { status.textContent = text; };
    if (!file) return show(t.document_choose);
    if (file.size > MAX_DOCUMENT) return show(t.document_too_large);
    const body = new FormData(documentForm);
    body.set('resume', signal.resume || ''); // who sends: the admitted participant of this tab
    try {
      const res = await fetch(documentForm.action, { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
      let answer = '';
      try {
        const j = await res.clone().json();
        answer = (j && (j.message || (j.error && j.error.message))) || '';
      } catch { answer = ''; }
      if (res.ok) {
        show(`${t.document_sent} ${file.name}${answer ? ` – ${answer}` : ''}`);
        input.value = '';
      } else {
        show(`${t.document_failed} ${answer || `(${res.status})`}`);
      }
    } catch {
      show(t.document_failed);
    }
    return undefined;
  });

  // ---- peers ----
  const rtcConfig = () => ({ ...config });
  const remoteBox = (peer) => {
    let fig = remotes.querySelector(`[data-peer="${CSS.escape(peer.id)}"]`);
    if (!fig) {
      fig = document.createElement('figure');
      fig.className = 'room-remote';
      fig.dataset.peer = peer.id;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.setAttribute('aria-label', `${t.remote_video} (${t[`from_${peer.role}`] || peer.role})`);
      video.dataset.remote = peer.id;
      const cap = document.createElement('figcaption');
      cap.textContent = t[`from_${peer.role}`] || peer.role || '';
      fig.append(video, cap);
      remotes.append(fig);
    }
    return fig;
  };
  const play = (video) => { const p = video.play(); if (p) p.catch(() => {}); };

  const hooks = {
    track(peer, e) {
      const stream = e.streams[0];
      if (!peer.cameraStreamId && stream) peer.cameraStreamId = stream.id;
      if (!stream || stream.id === peer.cameraStreamId) {
        const video = remoteBox(peer).querySelector('video');
        if (stream) {
          if (video.srcObject !== stream) video.srcObject = stream;
        } else {
          peer.extra = peer.extra || new MediaStream();
          peer.extra.addTrack(e.track);
          video.srcObject = peer.extra;
        }
        play(video);
        return;
      }
      // Another stream of that participant: a shared screen.
      let video = remotes.querySelector(`video[data-screen="${CSS.escape(stream.id)}"]`);
      if (!video) {
        const fig = document.createElement('figure');
        fig.className = 'room-remote room-screen';
        video = document.createElement('video');
        video.autoplay = true;
        video.playsInline = true;
        video.muted = true;
        video.dataset.screen = stream.id;
        video.dataset.screenOf = peer.id;
        video.setAttribute('aria-label', t.screen_video);
        const cap = document.createElement('figcaption');
        cap.textContent = t.screen_video;
        fig.append(video, cap);
        remotes.prepend(fig);
        video.srcObject = stream;
        // Shown while frames come: a stopped share mutes the track (or removes it).
        const update = () => {
          const live = stream.getVideoTracks().filter((x) => x.readyState === 'live');
          if (!live.length) fig.remove();
          else fig.hidden = live.every((x) => x.muted);
        };
        stream.addEventListener('removetrack', update);
        for (const name of ['ended', 'mute', 'unmute']) e.track.addEventListener(name, update);
        update();
        announce(t.share_received);
      }
      play(video);
    },
    state(peer, state) {
      if (state === 'connected') {
        if (notice && notice.textContent === t.ice_restart) say('');
      } else if (state === 'failed' || state === 'disconnected') {
        if (!present.has(peer.id)) return drop(peer.id);
        say(t.ice_restart);
      }
      return undefined;
    },
    event,
    renewed(peer) {
      for (const v of remotes.querySelectorAll(`[data-screen-of="${CSS.escape(peer.id)}"]`)) v.closest('figure').remove();
      peer.extra = null;
    },
  };

  function peerFor(id, peerRole, offerer) {
    let peer = peers.get(id);
    if (peer) return peer;
    peer = new Peer({
      id, role: peerRole, offerer, config: rtcConfig(), local: media, hooks,
      send: (data) => signal.send({ type: 'signal', to: id, data }),
    });
    if (media.screen) peer.shareScreen(media.screen.track, media.screen.stream);
    peers.set(id, peer);
    return peer;
  }

  function drop(id) {
    const peer = peers.get(id);
    if (!peer) return;
    peer.close();
    peers.delete(id);
    for (const f of remotes.querySelectorAll('figure')) {
      if (f.dataset.peer === id || f.querySelector(`[data-screen-of="${CSS.escape(id)}"]`)) f.remove();
    }
  }

  const roles = new Map();
  function onPeers(list) {
    const ids = new Set(list.map((p) => p.participant));
    for (const p of list) {
      roles.set(p.participant, p.role);
      if (!present.has(p.participant)) announce(t.peer_joined);
      present.add(p.participant);
      let peer = peers.get(p.participant);
      if (peer && peer.dead()) { drop(p.participant); peer = null; }
      if (peer) continue;
      if (me < p.participant) {
        peerFor(p.participant, p.role, true);
      } else {
        // The other side offers; if nothing comes (it kept a connection we lost), ask.
        setTimeout(() => {
          if (present.has(p.participant) && !peers.has(p.participant) && !finished)
            signal.send({ type: 'signal', to: p.participant, data: { restart: true } });
        }, 3000);
      }
    }
    for (const id of [...present]) {
      if (ids.has(id)) continue;
      present.delete(id);
      announce(t.peer_left);
      const peer = peers.get(id);
      // Still connected: the other side only lost the service; media keeps flowing.
      if (peer && peer.pc.connectionState !== 'connected') drop(id);
    }
  }

  function onSignal(m) {
    if (!m.from || typeof m.data !== 'object' || !m.data) return;
    let peer = peers.get(m.from);
    const offerer = me < m.from;
    if (!peer) {
      if (offerer && m.data.restart) { peerFor(m.from, roles.get(m.from) || '', true); return; }
      if (!m.data.description) return;
      peer = peerFor(m.from, roles.get(m.from) || '', false);
      peer.offerer = offerer;
      peer.polite = !offerer;
    }
    peer.signal(m.data);
  }

  // ---- quality and audio-only fall-back ----
  function fallBack(on) {
    audioOnly = on;
    poor = 0;
    for (const p of peers.values()) p.replaceCamera(on ? null : media.video);
    const box = $('[data-audio-only]');
    if (box) box.hidden = !on;
    if (on) {
      event('audio_fallback');
      announce(t.audio_only);
    }
  }

  async function measure() {
    const peer = [...peers.values()].find((p) => p.pc.connectionState === 'connected');
    const box = $('[data-quality]');
    if (!peer || !box) return;
    let q;
    try { q = quality.sample(await peer.pc.getStats()); } catch { return; }
    if (!q) return;
    const parts = [];
    if (q.rtt !== null) parts.push(`${t.rtt} ${Math.round(q.rtt)} ms`);
    parts.push(`${t.loss} ${numbers.format(q.loss)} %`);
    parts.push(`${t.bitrate} ${numbers.format((q.inKbps + q.outKbps) / 1000)} Mbit/s`);
    const before = box.dataset.level;
    box.dataset.level = q.level;
    box.querySelector('[data-quality-text]').textContent = `${t.quality}${t.colon} ${t[`quality_${q.level}`]} (${parts.join(', ')})`;
    if (q.level === 'poor' && before !== 'poor') announce(`${t.quality}${t.colon} ${t.quality_poor}`);
    poor = q.level === 'poor' ? poor + 1 : 0;
    if (poor >= POOR_SAMPLES && !audioOnly && media.video && media.video.enabled) fallBack(true);
  }

  // ---- journal ----
  function event(name, detail = '') {
    signal.send({ type: 'event', name, detail: String(detail || browser()).slice(0, 200) });
  }

  // ---- leaving ----
  function finish(message, canRejoin = false) {
    finished = true;
    clearInterval(qualityTimer);
    for (const id of [...peers.keys()]) drop(id);
    if (media.screen) media.screen.track.stop();
    if (media.stream) for (const tr of media.stream.getTracks()) tr.stop();
    signal.stop();
    const done = $('[data-done-text]');
    if (done) done.textContent = message;
    const rejoin = $('[data-rejoin]');
    if (rejoin) rejoin.hidden = !canRejoin;
    say('');
    setStage('done');
    announce(message);
    $('[data-done-heading]')?.focus();
  }

  function enterCall() {
    if (stage === 'call') return;
    setStage('call');
    controls();
    clearInterval(qualityTimer);
    qualityTimer = setInterval(measure, 2000);
  }

  // ---- the agent's lobby and commands ----
  const lobby = $('[data-lobby-list]');
  function onLobby(m) {
    if (!lobby) return;
    const waiting = Array.isArray(m.waiting) ? m.waiting : [];
    lobby.textContent = '';
    for (const w of waiting) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.id = `lobby-${w.participant}`;
      const name = w.role === 'guest' ? t.lobby_guest : t.lobby_citizen;
      label.textContent = w.since ? `${name}, ${t.waiting_since} ${clock.format(new Date(w.since * 1000))}` : name;
      const admit = document.createElement('button');
      admit.type = 'button';
      admit.className = 'button';
      admit.textContent = t.admit;
      admit.setAttribute('aria-describedby', label.id);
      admit.addEventListener('click', () => {
        admit.disabled = true;
        signal.send({ type: 'admit', participant: w.participant });
      });
      li.append(label, document.createTextNode(' '), admit);
      lobby.append(li);
    }
    const empty = $('[data-lobby-empty]');
    if (empty) empty.hidden = waiting.length > 0;
    if (waiting.length > lobbySize) announce(t.someone_waiting);
    lobbySize = waiting.length;
  }

  const outcomeUrl = rootEl.dataset.outcomeUrl;
  $('[data-move-phone]')?.addEventListener('click', (e) => {
    e.currentTarget.disabled = true;
    signal.send({ type: 'move_to_phone' });
    const box = $('[data-moved]');
    if (box) box.hidden = false;
    announce(t.moved_done);
  });
  let ending = false;
  const toOutcome = () => {
    finished = true;
    signal.stop();
    window.location.assign(outcomeUrl);
  };
  $('[data-end]')?.addEventListener('click', (e) => {
    e.currentTarget.disabled = true;
    ending = true;
    if (!signal.send({ type: 'end' })) toOutcome();
    else setTimeout(toOutcome, 3000); // the server's "ended" normally comes first
  });

  // The agent's forms beside the call (identity check, invitations): sent with fetch, so
  // that the call is not reloaded; the server answers {message, url?}.
  for (const form of document.querySelectorAll('[data-room-action]')) {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const status = form.querySelector('[role=status]') || document.querySelector('[data-room-action-status]');
      const button = form.querySelector('button[type=submit]');
      const res = await fetch(form.action, {
        method: 'POST', credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)).toString(),
      }).catch(() => null);
      let j = null;
      try { j = res ? await res.json() : null; } catch { j = null; }
      status.textContent = (j && j.message) || (res ? `${t.error_generic} ${res.status}` : t.error_generic);
      if (j && j.url) {
        const code = document.createElement('code');
        code.className = 'invite-url';
        code.textContent = j.url;
        status.append(' ', code);
      }
      if (res && res.ok && form.querySelector('[name=invitation]')) button.disabled = true;
    });
  }

  // ---- server messages ----
  signal.addEventListener('welcome', async ({ detail: m }) => {
    me = m.participant || '';
    config = { iceServers: Array.isArray(m.ice_servers) ? m.ice_servers : [] };
    if (m.ice_transport_policy === 'relay') config.iceTransportPolicy = 'relay';
    if (m.camera_required) { const c = $('[data-camera-required]'); if (c) c.hidden = false; }
    if (lostSignal) { announce(t.reconnected); say(''); lostSignal = false; }
    if (role === 'agent' || m.state === 'admitted') enterCall();
    else if (stage !== 'waiting') {
      setStage('waiting');
      $('[data-waiting-heading]')?.focus();
      announce(`${t.waiting_title}. ${role === 'guest' ? t.guest_waiting : t.waiting_text}`);
    }
  });
  signal.addEventListener('admitted', () => {
    enterCall();
    announce(t.admitted);
    $('[data-call-heading]')?.focus();
  });
  signal.addEventListener('lobby', ({ detail }) => onLobby(detail));
  signal.addEventListener('peers', ({ detail }) => onPeers(Array.isArray(detail.peers) ? detail.peers : []));
  signal.addEventListener('signal', ({ detail }) => onSignal(detail));
  signal.addEventListener('chat', ({ detail: m }) => line(who(m.from, m.role), m.at || Date.now() / 1000, String(m.text || '')));
  signal.addEventListener('document', ({ detail: m }) => {
    const size = `${numbers.format((m.size || 0) / 1024)} Kio`;
    line(who(m.from, roles.get(m.from)), Date.now() / 1000,
      `${m.from === me ? t.document_sent : t.document_received} ${m.name} (${size})`);
    // The agent's list of the appointment's documents (room/_documents): a download link.
    const list = document.querySelector('[data-documents]');
    if (role !== 'agent' || !list || typeof m.url !== 'string' || !m.url.startsWith('/console/')) return;
    if ([...list.querySelectorAll('a')].some((a) => a.getAttribute('href') === m.url)) return;
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = m.url;
    a.download = '';
    a.textContent = String(m.name || '');
    li.append(a, ` (${size})`);
    list.append(li);
    const none = document.querySelector('[data-documents-none]');
    if (none) none.hidden = true;
  });
  signal.addEventListener('moved_to_phone', ({ detail: m }) => {
    if (role === 'agent') finish(t.moved_done);
    else if (role === 'citizen') finish(m.phone ? `${t.moved_to_phone} ${m.phone}.` : t.moved_to_phone_no_number);
    else finish(t.ended);
  });
  signal.addEventListener('ended', () => {
    if (role === 'agent') return toOutcome();
    return finish(t.ended);
  });
  signal.addEventListener('error', ({ detail: m }) => {
    if (m.code === 'unauthorised') finish(role === 'guest' ? t.invite_invalid : t.error_unauthorised);
    else if (m.code === 'not_open') finish(t.error_not_open);
    else if (m.code === 'revoked') finish(t.invite_revoked_you);
    else if (m.code === 'too_large' || m.code === 'refused') say(`${t.error_generic} ${m.message || m.code}`, 'error');
  });
  signal.addEventListener('down', ({ detail }) => {
    if (detail.fatal === 'replaced' && !finished) return finish(t.replaced);
    if (finished || detail.fatal || ending) return undefined;
    if (!lostSignal) { lostSignal = true; say(t.reconnecting); announce(t.reconnecting); }
    return undefined;
  });

  // ---- room rules: the late advisor (docs/VIDEO.md) ----
  // Past the no-show delay a waiting citizen gets agent_late: an apology with three choices
  // (keep waiting, be called back, book again), each sent as late_choice and confirmed.
  const late = $('[data-agent-late]');
  if (late) {
    signal.addEventListener('agent_late', () => {
      if (stage !== 'waiting' || !late.hidden) return;
      late.hidden = false;
      announce(`${late.querySelector('h3').textContent}. ${late.querySelector('[data-late-text]').textContent}`);
    });
    for (const b of late.querySelectorAll('[data-late-choice]')) {
      b.addEventListener('click', () => signal.send({ type: 'late_choice', choice: b.dataset.lateChoice }));
    }
    signal.addEventListener('late_choice', ({ detail: m }) => {
      const key = { wait: 'doneWait', callback: 'doneCallback', rebook: 'doneRebook' }[m.choice];
      if (!key) return;
      late.querySelector('[data-late-status]').textContent = late.dataset[key];
      late.querySelector('[data-late-rebook]').hidden = m.choice !== 'rebook';
    });
  }

  // The agent is in the room from the start: their lobby is live at once.
  if (role === 'agent') getMedia().then(() => signal.start());

  // For the browser tests: the connections and the socket (nothing secret).
  window.vgRoom = {
    connections: () => [...peers.values()].map((p) => p.pc),
    socket: () => signal.socket,
    stage: () => stage,
  };
}

function browser() {
  const ua = navigator.userAgent;
  if (/Edg\//.test(ua)) return 'edge';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}
