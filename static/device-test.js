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
