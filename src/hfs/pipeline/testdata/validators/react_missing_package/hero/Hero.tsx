import './hero.css';

export default function Hero() {
  return (
    <header className="hero">
      <h1>Simple pricing</h1>
      <p>Three plans, no surprises.</p>
    </header>
  );
}
