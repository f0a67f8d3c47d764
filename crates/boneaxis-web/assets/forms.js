// API errors shown next to the field that caused them.

export function clearErrors(form, generalId) {
  for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  document.getElementById(generalId).textContent = "";
}

// fields maps an API field (or its prefix before "." or "[") to an input id.
export function showErrors(error, fields, generalId) {
  const field = error.field || "";
  const id = fields[field] || fields[field.split(/[.[]/)[0]];
  const input = id && document.getElementById(id);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    document.getElementById(`${id}-error`).textContent = error.message;
    input.focus();
  } else {
    document.getElementById(generalId).textContent = field ? `${field}: ${error.message}` : error.message;
  }
}
