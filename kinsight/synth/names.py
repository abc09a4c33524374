"""Vocabularies for synthetic people and places in Lancashire.

Names are common in England and Wales for the generation concerned; every combination is made
up. The nickname table is what a linker must learn: agencies record the name a person gives,
and "Liz Walsh" at the police station is "Elizabeth Walsh" at the GP.
"""

from __future__ import annotations

WOMEN = (
    "Sarah", "Emma", "Laura", "Rebecca", "Jennifer", "Elizabeth", "Katherine", "Victoria",
    "Amy", "Hannah", "Nicola", "Michelle", "Claire", "Rachel", "Lisa", "Kelly", "Stacey",
    "Gemma", "Danielle", "Leanne", "Samantha", "Charlotte", "Jessica", "Stephanie", "Natalie",
    "Joanne", "Jade", "Kirsty", "Louise", "Zoe", "Amanda", "Deborah", "Kimberley", "Abigail",
    "Alexandra", "Margaret", "Catherine", "Christine", "Nadia", "Aisha", "Fatima", "Saima",
    "Ayesha", "Shabana", "Agnieszka", "Siobhan", "Chloe", "Megan", "Lauren", "Holly", "Sophie",
    "Shannon", "Paige", "Courtney", "Kayleigh", "Jodie", "Tracey", "Donna", "Zoë", "Nicole",
)  # fmt: skip

MEN = (
    "Christopher", "William", "James", "Robert", "Thomas", "Daniel", "Matthew", "Michael",
    "Samuel", "Joshua", "Nicholas", "Anthony", "Benjamin", "Jonathan", "Andrew", "Richard",
    "Stephen", "Edward", "Alexander", "Joseph", "Lee", "Craig", "Dean", "Jason", "Wayne",
    "Darren", "Carl", "Liam", "Ryan", "Jordan", "Kieran", "Scott", "Gary", "Paul", "Mark",
    "David", "Imran", "Mohammed", "Asif", "Tariq", "Bilal", "Tomasz", "Piotr", "Sean", "Connor",
    "Jamie", "Kyle", "Nathan", "Adam", "Shane",
)  # fmt: skip

GIRLS = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Isabella", "Sophia", "Grace", "Lily", "Freya",
    "Emily", "Ivy", "Ella", "Rosie", "Evie", "Florence", "Poppy", "Charlotte", "Willow",
    "Harper", "Chloe", "Millie", "Ruby", "Daisy", "Sienna", "Maisie", "Phoebe", "Eliza", "Katie",
    "Jessica", "Elizabeth", "Alexandra", "Victoria", "Maryam", "Zara", "Aaliyah", "Hafsa",
    "Zuzanna", "Lacey", "Layla", "Scarlett", "Matilda", "Esme", "Hallie", "Lola", "Brooke",
    "Summer", "Darcy", "Niamh", "Erin", "Katherine", "Rebecca", "Abigail",
)  # fmt: skip

BOYS = (
    "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Muhammad", "Oscar", "Charlie",
    "Jacob", "Thomas", "Freddie", "Alfie", "Theo", "William", "Henry", "Archie", "Joshua",
    "Alexander", "James", "Isaac", "Edward", "Lucas", "Tommy", "Finley", "Max", "Logan", "Ethan",
    "Mason", "Riley", "Harrison", "Teddy", "Reggie", "Daniel", "Samuel", "Benjamin",
    "Christopher", "Nathan", "Dylan", "Kai", "Tyler", "Callum", "Jayden", "Ibrahim", "Yusuf",
    "Ayaan", "Jakub", "Filip", "Reuben", "Matthew", "Nicholas",
)  # fmt: skip

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Christopher": ("Chris", "Kit"),
    "Christine": ("Chris", "Chrissie"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Eliza": ("Liza",),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Catherine": ("Cath", "Kate", "Cathy"),
    "William": ("Bill", "Will", "Billy"),
    "James": ("Jim", "Jamie", "Jimmy"),
    "Robert": ("Rob", "Bob", "Bobby"),
    "Thomas": ("Tom", "Tommy"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Michael": ("Mike", "Mick"),
    "Samuel": ("Sam", "Sammy"),
    "Samantha": ("Sam", "Sammie"),
    "Joshua": ("Josh",),
    "Nicholas": ("Nick", "Nicky"),
    "Nicola": ("Nicky", "Nic"),
    "Anthony": ("Tony", "Ant"),
    "Benjamin": ("Ben",),
    "Jonathan": ("Jon", "Jonny"),
    "Andrew": ("Andy", "Drew"),
    "Richard": ("Rich", "Rick"),
    "Stephen": ("Steve",),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Alexander": ("Alex", "Xander"),
    "Alexandra": ("Alex", "Lexi"),
    "Joseph": ("Joe", "Joey"),
    "Jennifer": ("Jen", "Jenny"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Jessica": ("Jess", "Jessie"),
    "Stephanie": ("Steph",),
    "Deborah": ("Debbie", "Deb"),
    "Kimberley": ("Kim",),
    "Abigail": ("Abbie", "Abi"),
    "Margaret": ("Maggie", "Meg"),
    "Charlotte": ("Charlie", "Lottie"),
    "Danielle": ("Dani",),
    "Natalie": ("Nat",),
    "Joanne": ("Jo",),
    "Amanda": ("Mandy",),
    "Olivia": ("Liv", "Livvy"),
    "Isabella": ("Bella", "Izzy"),
    "Sophia": ("Sophie",),
    "Amelia": ("Millie",),
    "Florence": ("Flo",),
    "Matilda": ("Tilly",),
    "Oliver": ("Ollie",),
    "Harrison": ("Harry",),
    "Nathan": ("Nate",),
    "Mohammed": ("Mohammad", "Mo"),
    "Muhammad": ("Mohammed",),
    "Zuzanna": ("Zuza",),
    "Jakub": ("Kuba",),
    "Tomasz": ("Tomek",),
    "Piotr": ("Peter",),
    "Zoë": ("Zoe",),
}

SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Ahmed", "Sutcliffe", "Ashworth", "Whittaker", "Ainsworth", "Pickup", "Haworth",
    "Greenwood", "Hargreaves", "Nowak", "Kowalski", "Mahmood", "Iqbal", "Riley", "Duckworth",
    "Crossley", "Walsh", "O'Brien", "McDonald", "Lord", "Holt", "Halstead", "Entwistle",
)  # fmt: skip

STREETS = (
    "Mill Lane", "Church Street", "Victoria Road", "Manchester Road", "Queen Street",
    "Albert Road", "Park Avenue", "Colne Road", "Padiham Road", "Whalley Road", "Bolton Road",
    "Moorland View", "Hawthorn Close", "Oak Street", "Elm Grove", "Station Road", "Market Street",
    "Canal Street", "Pendle Way", "Ribble Drive", "Richmond Terrace", "Brunshaw Road",
    "Scott Street", "Brierfield Close", "Waterloo Road", "Heather Close", "Cherry Tree Lane",
    "Ashfield Road", "Princess Way", "Kings Road", "Oxford Road", "Cromwell Street",
    "Bank Street", "Dale View", "Fountains Avenue", "Laburnum Road", "Rose Hill",
    "Primrose Street", "Lindsay Park", "Sycamore Avenue", "Belvedere Road", "Thursby Road",
)  # fmt: skip

# town -> (area, postcode districts). The area decides the council, the hospital trust and
# which nursery and schools the family's children attend.
TOWNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Burnley": ("east", ("BB10", "BB11", "BB12")),
    "Nelson": ("east", ("BB9",)),
    "Colne": ("east", ("BB8",)),
    "Accrington": ("east", ("BB5",)),
    "Clitheroe": ("east", ("BB7",)),
    "Rawtenstall": ("east", ("BB4",)),
    "Blackburn": ("bwd", ("BB1", "BB2")),
    "Darwen": ("bwd", ("BB3",)),
    "Preston": ("west", ("PR1", "PR2")),
    "Chorley": ("west", ("PR6", "PR7")),
    "Lancaster": ("west", ("LA1",)),
    "Morecambe": ("west", ("LA3", "LA4")),
}
TOWN_NAMES = tuple(TOWNS)
TOWNS_BY_AREA: dict[str, tuple[str, ...]] = {
    area: tuple(town for town, (where, _) in TOWNS.items() if where == area)
    for area in ("east", "bwd", "west")
}

# Postcode unit letters never include C, I, K, M, O or V.
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
