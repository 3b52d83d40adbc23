/**
 * Files dropped anywhere on the page (or picked with the file button): `.onnx` is imported
 * into `.net` source, `.safetensors` becomes the weights of later builds.
 */
export function onFiles(target: HTMLElement, input: HTMLInputElement, handle: (file: File) => void): void {
  target.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    target.classList.add('dropping');
  });
  target.addEventListener('dragleave', () => target.classList.remove('dropping'));
  target.addEventListener('drop', (ev) => {
    ev.preventDefault();
    target.classList.remove('dropping');
    for (const f of ev.dataTransfer?.files ?? []) handle(f);
  });
  input.addEventListener('change', () => {
    for (const f of input.files ?? []) handle(f);
    input.value = '';
  });
}
