import { useId } from 'react';

/** The Fengqiao mark: a shield with an arched bridge and a star. */
export function Emblem({ size = 36, title }: { size?: number; title?: string }) {
  const id = useId().replace(/:/g, '');
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 64 64"
      role={title ? 'img' : undefined}
      aria-hidden={title ? undefined : true}
      aria-label={title}
      style={{ display: 'block', flex: 'none' }}
    >
      <defs>
        <linearGradient id={`${id}-fill`} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#2f6fd6" />
          <stop offset="1" stopColor="#0d2f6e" />
        </linearGradient>
        <linearGradient id={`${id}-rim`} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#f3d27a" />
          <stop offset="1" stopColor="#b8871b" />
        </linearGradient>
      </defs>
      <path
        d="M32 3 L57 11.5 V30 C57 45.5 46.5 55.5 32 61 C17.5 55.5 7 45.5 7 30 V11.5 Z"
        fill={`url(#${id}-fill)`}
        stroke={`url(#${id}-rim)`}
        strokeWidth="3"
        strokeLinejoin="round"
      />
      <path
        d="M32 13.5 L34.35 18.6 L39.9 19.2 L35.75 22.95 L36.9 28.4 L32 25.6 L27.1 28.4 L28.25 22.95 L24.1 19.2 L29.65 18.6 Z"
        fill="#f3d27a"
      />
      <path d="M15 44 Q32 26 49 44" fill="none" stroke="#ffffff" strokeWidth="3.2" strokeLinecap="round" />
      <path d="M13 44 H51" stroke="#ffffff" strokeWidth="2.6" strokeLinecap="round" />
      <path
        d="M22 36.6 V44 M27 33.2 V44 M32 32 V44 M37 33.2 V44 M42 36.6 V44"
        stroke="#ffffff"
        strokeWidth="1.6"
        strokeLinecap="round"
        opacity="0.85"
      />
      <path d="M17 50 Q32 46 47 50" fill="none" stroke="#8fb4f0" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
