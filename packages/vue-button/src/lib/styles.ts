/**
 * Inline styles built only from CSS custom properties with fallbacks, so the components look
 * decent with no stylesheet and a shop re-themes them by setting `--pb-*` on any ancestor.
 */
export const styles = {
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: 'var(--pb-gap, 0.75rem)',
    fontFamily: 'var(--pb-font, inherit)',
    color: 'var(--pb-text, inherit)',
  },
  field: { display: 'flex', flexDirection: 'column', gap: '0.25rem' },
  fieldset: {
    border: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: '0.25rem',
  },
  control: {
    font: 'inherit',
    padding: '0.4rem 0.5rem',
    borderRadius: 'var(--pb-radius, 6px)',
    border: '1px solid var(--pb-border, #8a8f98)',
  },
  button: {
    font: 'inherit',
    cursor: 'pointer',
    padding: 'var(--pb-button-padding, 0.6rem 1.2rem)',
    borderRadius: 'var(--pb-radius, 6px)',
    border: 'none',
    background: 'var(--pb-accent, #1f4fd1)',
    color: 'var(--pb-accent-contrast, #fff)',
    alignSelf: 'flex-start',
  },
  imageButton: { cursor: 'pointer', padding: 0, border: 'none', background: 'none', alignSelf: 'flex-start' },
  muted: { color: 'var(--pb-muted, #555b66)' },
  error: { color: 'var(--pb-error, #b3261e)' },
  success: { color: 'var(--pb-success, #1b7f3b)' },
  links: { display: 'flex', gap: 'var(--pb-gap, 0.75rem)' },
  link: { color: 'var(--pb-link, var(--pb-accent, #1f4fd1))' },
} as const;
