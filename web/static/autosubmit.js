// A menu marked data-autosubmit sends its form as soon as a choice is made (the year on a unit's page).
// Without JavaScript the page shows a 筛选 button instead (<noscript>). A file of its own, not an inline
// handler: the Content-Security-Policy (default-src 'self') runs no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (menu) {
    menu.addEventListener("change", function () {
      menu.form.submit();
    });
  });
});
