export type ButtonVariant = 'primary' | 'secondary';

const base =
  'inline-flex min-h-tap min-w-tap items-center justify-center gap-2 rounded-control px-4 py-2 text-base font-semibold no-underline transition-colors disabled:cursor-not-allowed disabled:not-aria-busy:opacity-50 aria-busy:cursor-wait';

/**
 * The accent red is kept for the one primary action of a screen. A busy button is disabled but
 * not faded: its label (e.g. 正在登录…) must stay readable. A button that cannot be pressed
 * for another reason fades, so it does not look like an invitation.
 */
const variants: Record<ButtonVariant, string> = {
  primary: 'bg-accent text-white hover:bg-accent-hover',
  secondary: 'border-2 border-line-strong bg-surface text-ink hover:bg-sunken',
};

export const buttonClass = (variant: ButtonVariant) => `${base} ${variants[variant]}`;
