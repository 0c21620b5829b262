// Progressive enhancement: a "Copy link" button where the Clipboard API exists.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy-url]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyUrl).then(function () {
        button.textContent = "Link copied";
        setTimeout(function () { button.textContent = "Copy link"; }, 2000);
      });
    });
  });
})();
