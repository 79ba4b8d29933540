"""Chartered buses (包车 / 点对点输送): departures with seats, signed up for with the card, boarded."""
