// Progressive enhancement: a "Copy" button on code samples where the Clipboard API exists.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".code-block").forEach(function (block) {
    var button = block.querySelector(".code-block__copy");
    var code = block.querySelector("pre");
    if (!button || !code) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.innerText).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      });
    });
  });
})();
