// Camera and microphone check before a video appointment. Nothing leaves the browser.
const box = document.querySelector('[data-device-test]');
if (box && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  box.hidden = false;
  const status = box.querySelector('[data-status]');
  const video = box.querySelector('[data-preview]');
  const level = box.querySelector('[data-level]');
  box.querySelector('[data-start]').addEventListener('click', async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      video.srcObject = stream;
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      ctx.createMediaStreamSource(stream).connect(analyser);
      const data = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128) / 128);
        level.value = peak;
        requestAnimationFrame(tick);
      };
      tick();
      status.textContent = status.dataset.ok;
    } catch (e) {
      status.textContent = status.dataset.fail;
    }
  });
}
