// One WebRTC connection to one other participant, in the "perfect negotiation" style: either
// side may renegotiate (a screen share, a camera added later), and when both offer at once the
// polite side gives way. Who starts follows docs/VIDEO.md: of two participants, the one whose
// id sorts first makes the first offer (and is the impolite side); the other answers, and asks
// for an ICE restart with {restart:true} instead of restarting itself.

// The DTLS fingerprint of a description: a new one means the other side's connection is new.
export function fingerprint(sdp) {
  const m = /^a=fingerprint:(.*)$/m.exec(sdp || '');
  return m ? m[1].trim() : '';
}

export class Peer {
  // id: the other participant; offerer: whether we make the first offer; config: the
  // RTCConfiguration from the welcome; send(data): a signal to that participant; local: the
  // tracks to send {audio, video, stream}; hooks: {track(peer, event), state(peer, state),
  // event(name, detail)}.
  constructor({ id, role, offerer, config, send, local, hooks }) {
    this.id = id;
    this.role = role;
    this.offerer = offerer;
    this.polite = !offerer;
    this.config = config;
    this.send = send;
    this.local = local;
    this.hooks = hooks;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.cameraStreamId = '';
    this.senders = { audio: null, video: null, screen: null };
    this.restartTimer = 0;
    this.connectedOnce = false;
    this.open();
  }

  open(attachNow = this.offerer) {
    const pc = new RTCPeerConnection(this.config);
    this.pc = pc;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (this.pc !== pc) return;
      this.send({ candidate: candidate ? candidate.toJSON() : null });
    });
    pc.addEventListener('negotiationneeded', async () => {
      if (this.pc !== pc) return;
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.sendDescription(pc);
      } catch (e) {
        console.warn('room: offer failed', e);
      } finally {
        this.makingOffer = false;
      }
    });
    pc.addEventListener('track', (e) => { if (this.pc === pc) this.hooks.track(this, e); });
    pc.addEventListener('iceconnectionstatechange', () => { if (this.pc === pc) this.iceState(); });
    pc.addEventListener('connectionstatechange', () => {
      if (this.pc !== pc) return;
      if (pc.connectionState === 'connected') this.connected();
      this.hooks.state(this, pc.connectionState);
    });
    // The offerer sends from the start; the answerer adds its tracks to the offer's
    // transceivers once it has the offer (attach()).
    if (attachNow) this.attach();
  }

  // Local tracks on this connection: the camera and microphone as one stream, and a
  // receiving transceiver for a kind we do not send, so the other side's still arrives.
  attach() {
    const { audio, video, stream } = this.local;
    for (const [kind, track] of [['audio', audio], ['video', video]]) {
      if (this.senders[kind]) continue;
      if (track) {
        this.senders[kind] = this.pc.addTrack(track, stream);
      } else if (this.offerer) {
        const init = { direction: 'recvonly', streams: stream ? [stream] : [] };
        this.senders[kind] = this.pc.addTransceiver(kind, init).sender;
      }
    }
    this.attached = true;
  }

  sendDescription(pc) {
    const d = pc.localDescription;
    this.send({ description: { type: d.type, sdp: d.sdp } });
  }

  async signal(data) {
    if (data.description) return this.description(data.description);
    if ('candidate' in data) {
      try {
        await this.pc.addIceCandidate(data.candidate || undefined);
      } catch (e) {
        if (!this.ignoreOffer) console.warn('room: candidate refused', e);
      }
      return undefined;
    }
    if (data.restart) return this.restart('asked');
    return undefined;
  }

  async description(description) {
    // The other side started a new connection (its page was reloaded): start one too.
    const current = this.pc.remoteDescription;
    if (description.type === 'offer' && current && fingerprint(description.sdp) &&
        fingerprint(current.sdp) !== fingerprint(description.sdp)) {
      this.renew(false);
    }
    const pc = this.pc;
    const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    try {
      await pc.setRemoteDescription(description);
    } catch (e) {
      console.warn('room: remote description refused, starting afresh', e);
      if (this.offerer) this.renew();
      return;
    }
    if (description.type === 'offer') {
      if (!this.attached) this.attach();
      await pc.setLocalDescription();
      this.sendDescription(pc);
    }
  }

  // A new RTCPeerConnection in place of this one; attachNow: send at once (and so offer).
  renew(attachNow = this.offerer) {
    const old = this.pc;
    this.senders = { audio: null, video: null, screen: null };
    this.attached = false;
    this.cameraStreamId = '';
    this.connectedOnce = false;
    this.makingOffer = false;
    this.ignoreOffer = false;
    clearTimeout(this.restartTimer);
    old.close();
    this.open(attachNow);
    this.hooks.renewed(this);
  }

  // ICE restart: the offerer restarts, the answerer asks it to.
  restart(reason) {
    clearTimeout(this.restartTimer);
    this.hooks.event('ice_restart', reason);
    if (!this.polite) {
      if (this.pc.connectionState === 'closed') this.renew();
      else this.pc.restartIce();
    } else {
      this.send({ restart: true });
    }
  }

  iceState() {
    const state = this.pc.iceConnectionState;
    clearTimeout(this.restartTimer);
    if (state === 'failed') {
      // Journalled for the statistics (connection failures), then restarted.
      this.hooks.event('connection_failed', 'ice');
      this.restart('failed');
    }
    else if (state === 'disconnected') {
      // Often back by itself within seconds; restart only if it is not.
      this.restartTimer = setTimeout(() => {
        if (this.pc.iceConnectionState === 'disconnected') this.restart('disconnected');
      }, 4000);
    }
  }

  async connected() {
    if (this.connectedOnce) return;
    this.connectedOnce = true;
    // The journal says whether the call went through the relay. The selected pair can show
    // in the stats a moment after "connected" (seen under load): ask a few times.
    let type = '';
    for (let attempt = 0; attempt < 10 && !type; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, 200));
      try {
        const stats = await this.pc.getStats();
        const pair = selectedPair(stats);
        const local = pair && stats.get(pair.localCandidateId);
        type = local ? local.candidateType : '';
      } catch { /* stats are a nicety */ }
    }
    this.hooks.event('connected', type);
  }

  dead() {
    return ['failed', 'closed'].includes(this.pc.connectionState);
  }

  replaceCamera(track) {
    const s = this.senders.video;
    if (s) return s.replaceTrack(track);
    return Promise.resolve();
  }

  shareScreen(track, stream) {
    this.senders.screen = this.pc.addTrack(track, stream);
  }

  stopScreen() {
    if (this.senders.screen) {
      try { this.pc.removeTrack(this.senders.screen); } catch { /* closed */ }
      this.senders.screen = null;
    }
  }

  close() {
    clearTimeout(this.restartTimer);
    this.pc.close();
  }
}

// The candidate pair in use.
export function selectedPair(stats) {
  let pair = null;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
  });
  if (pair) return pair;
  stats.forEach((s) => {
    if (!pair && s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected)) pair = s;
  });
  return pair;
}

// Connection quality from two getStats samples: round trip (ms), loss (%) of what we
// receive, bitrate (kbit/s) received and sent, and a level good|fair|poor.
export class Quality {
  constructor() { this.last = null; }

  sample(stats, now = performance.now()) {
    let rtt = null;
    let outgoing = null;
    const pair = selectedPair(stats);
    if (pair) {
      if (typeof pair.currentRoundTripTime === 'number') rtt = pair.currentRoundTripTime * 1000;
      if (typeof pair.availableOutgoingBitrate === 'number') outgoing = pair.availableOutgoingBitrate / 1000;
    }
    let lost = 0;
    let received = 0;
    let bytesIn = 0;
    let bytesOut = 0;
    let remoteLoss = 0;
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        lost += s.packetsLost || 0;
        received += s.packetsReceived || 0;
        bytesIn += s.bytesReceived || 0;
      } else if (s.type === 'outbound-rtp') {
        bytesOut += s.bytesSent || 0;
      } else if (s.type === 'remote-inbound-rtp') {
        remoteLoss = Math.max(remoteLoss, s.fractionLost || 0);
        if (rtt === null && typeof s.roundTripTime === 'number') rtt = s.roundTripTime * 1000;
      }
    });
    const cur = { t: now, lost, received, bytesIn, bytesOut };
    const prev = this.last;
    this.last = cur;
    if (!prev || cur.t <= prev.t) return null;
    const dt = (cur.t - prev.t) / 1000;
    const dLost = Math.max(0, lost - prev.lost);
    const dRecv = Math.max(0, received - prev.received);
    const loss = dLost + dRecv > 0 ? (100 * dLost) / (dLost + dRecv) : 0;
    const inKbps = (8 * Math.max(0, bytesIn - prev.bytesIn)) / dt / 1000;
    const outKbps = (8 * Math.max(0, bytesOut - prev.bytesOut)) / dt / 1000;
    const worstLoss = Math.max(loss, remoteLoss * 100);
    let level = 'good';
    if ((rtt !== null && rtt > 800) || worstLoss > 8 || (outgoing !== null && outgoing < 150)) level = 'poor';
    else if ((rtt !== null && rtt > 300) || worstLoss > 2 || (outgoing !== null && outgoing < 400)) level = 'fair';
    return { rtt, loss, inKbps, outKbps, level };
  }
}
