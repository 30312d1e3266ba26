// Styles every component shares (each has a shadow root of its own, so they are included in each).
import { css } from 'lit';

/** Buttons, and links or labels that look like one (`.button`); the keyboard focus always visible. */
export const buttonStyles = css`
  button,
  .button {
    font: inherit;
    padding: 0.35rem 0.8rem;
    border-radius: 6px;
    border: 0;
    background: #3a3f4b;
    color: white;
    cursor: pointer;
    text-decoration: none;
    display: inline-block;
  }
  :focus-visible {
    outline: 3px solid #ffcf4a;
    outline-offset: 2px;
  }
`;
