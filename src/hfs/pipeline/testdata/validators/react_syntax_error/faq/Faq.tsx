import { useState } from 'react';

export default function Faq() {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <h2>Questions</h2>
      <button type="button" onClick={() => setOpen(!open)}>Toggle</button>
      {open && <p>Yes, from your account page.</p>
    </div>
  );
}
