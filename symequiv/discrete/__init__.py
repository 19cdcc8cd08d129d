"""From continuous to discrete: discretizers D^h, values and closed forms, discrete shifts g^h, layers, black boxes."""
