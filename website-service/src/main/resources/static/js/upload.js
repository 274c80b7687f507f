// Progressive enhancement: drag and drop and previews. The form works without it.
(function () {
  const zone = document.getElementById('drop-zone');
  const input = document.getElementById('files');
  const previews = document.getElementById('previews');
  if (!zone || !input || !previews) return;

  function showPreviews() {
    previews.replaceChildren();
    for (const file of input.files) {
      if (!file.type.startsWith('image/')) continue;
      const img = document.createElement('img');
      img.alt = 'Preview of ' + file.name;
      img.src = URL.createObjectURL(file);
      img.onload = () => URL.revokeObjectURL(img.src);
      previews.appendChild(img);
    }
  }

  input.addEventListener('change', showPreviews);
  ['dragenter', 'dragover'].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    }));
  ['dragleave', 'drop'].forEach((type) =>
    zone.addEventListener(type, () => zone.classList.remove('dragging')));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    showPreviews();
  });
})();
