// Progressive enhancement only: every action works without this file.
(function () {
    "use strict";

    // Copy buttons are hidden until this script shows them: without it the read-only field can still be selected.
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
        button.hidden = false;
    });

    document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-copy-target]");
        if (!button) {
            return;
        }

        var field = document.getElementById(button.getAttribute("data-copy-target"));
        if (!field) {
            return;
        }

        var status = document.getElementById(button.getAttribute("data-copy-status"));
        var done = function (text) {
            if (status) {
                status.textContent = text;
            }
        };
        field.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(field.value).then(
                function () { done("Copied to the clipboard."); },
                function () { done("Press Ctrl+C (or ⌘C) to copy."); });
        } else {
            done("Press Ctrl+C (or ⌘C) to copy.");
        }
    });

    // A button or form with data-confirm asks before it submits.
    document.addEventListener("submit", function (event) {
        var submitter = event.submitter;
        var message = (submitter && submitter.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
        if (message && !window.confirm(message)) {
            event.preventDefault();
        }
    });
})();
