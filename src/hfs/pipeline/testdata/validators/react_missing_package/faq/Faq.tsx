import { useState } from 'react';
import confetti from 'canvas-confetti';

const questions: { q: string; a: string }[] = [
  { q: 'Can I cancel at any time?', a: 'Yes, from your account page.' },
  { q: 'Is there a free trial?', a: 'Fourteen days, no card needed.' },
];

export default function Faq() {
  const [open, setOpen] = useState<number | null>(0);
  return (
    <div>
      <h2>Questions</h2>
      {questions.map((item, index) => (
        <div key={item.q}>
          <button type="button" onClick={() => {
            confetti();
            setOpen(open === index ? null : index);
          }}>
            {item.q}
          </button>
          {open === index && <p>{item.a}</p>}
        </div>
      ))}
    </div>
  );
}
