"""Clue terms in Spanish, French, German, Portuguese, Russian (word-bounded) and CJK (unbounded).

Russian terms are stems with ``\\w*`` because of its case endings. Chinese and Japanese have no
spaces between words, so their terms are matched anywhere and kept to two characters or more
where a single character would also occur inside unrelated words.
"""

from __future__ import annotations

I18N_TERMS: dict[str, tuple[str, ...]] = {
    "text": (
        # es / pt
        r"letreros?|cartel(?:es)?|rótulos?|señalización|señales(?! de que)|texto|textos|escrito|escrita|idioma|letras"
        r"|letreiros?|placas? de rua|sinalização|língua|escritura|alfabeto",
        # fr
        r"panneaux?|enseignes?|écriteaux?|inscriptions?|texte|langue|écriture|lettres",
        # de
        r"schild(?:er|ern)?|beschilderung|aufschrift(?:en)?|schrift(?:zeichen)?|sprache"
        r"|straßenschild(?:er)?",
        # ru
        r"вывеск\w*|надпис\w*|текст\w*|табличк\w*|язык\w*|букв\w*|алфавит\w*",
    ),
    "driving_side": (
        r"lado de (?:la )?conducción|sentido de (?:la )?circulación|sens de circulation"
        r"|fahrtrichtung|mão de direção|сторона движения",
    ),
    "road_markings": (
        r"marcas viales|señalización horizontal|líneas? (?:amarillas?|blancas?|centrales?)"
        r"|marquages?(?: au sol)?|lignes? (?:blanches?|jaunes?|centrales?)"
        r"|fahrbahnmarkierung(?:en)?|straßenmarkierung(?:en)?|mittellinie|markierung(?:en)?"
        r"|marcações?(?: viárias| rodoviárias)?|faixas? (?:amarelas?|brancas?)"
        r"|linhas? (?:amarelas?|brancas?)|разметк\w*",
    ),
    "road_furniture": (
        r"bolardos?|guardarra[ií]les?|guardarra[ií]l|barandillas?|glissières?(?: de sécurité)?"
        r"|bornes?|balises?|leitpfosten|leitplanken?|poller|balizadores?|defensas metálicas"
        r"|guard-?rails?|столбик\w*|отбойник\w*|ограждени\w*|светофор\w*|semáforos?|feux tricolores"
        r"|ampeln?",
    ),
    "vehicles": (
        r"coches?|autos?|carros?|vehículos?|veículos?|voitures?|véhicules?|fahrzeuge?|lkws?"
        r"|matrículas?|placas? (?:de carro|de veículo|do carro)|plaques? d'immatriculation"
        r"|kennzeichen|nummernschild(?:er)?|camiones?|camiões|caminhões|camions?|motos?",
        r"машин\w*|автомобил\w*|автобус\w*|грузовик\w*|номер(?:а|ные|ной)?(?: знак\w*)?",
    ),
    "infrastructure": (
        r"postes?(?: eléctricos| de luz| elétricos)?|tendido eléctrico|cables eléctricos|farolas?"
        r"|asfalto|camino de tierra|estrada de terra|fiação|fios elétricos|calçadas?|pavimento",
        r"poteaux?(?: électriques| téléphoniques)?|lignes électriques|lampadaires?|asphalte|goudron"
        r"|chaussée|route en terre",
        r"strommasten?|telefonmasten?|masten|stromleitung(?:en)?|straßenlaternen?|laternen?"
        r"|asphalt|straßenbelag|schotter(?:straße)?",
        r"столб(?:ы|ов|ами|ах)?|провод\w*|лэп|фонар\w*|асфальт\w*|дорожное покрытие|грунтов\w*",
    ),
    "vegetation": (
        r"vegetación|vegetação|árboles|árvores|palmeras?|palmeiras?|pinos|pinheiros?"
        r"|eucaliptos?|selva|bosques?|floresta|mata|hierba|césped|grama|capim|arbustos?",
        r"végétation|boisée?s?|arbres?|palmiers?|pins|forêts?|herbe|arbustes?|feuillage",
        r"bäume|baum|bewaldet\w*|palmen|kiefern|birken|wald|wälder|gras|sträucher|büsche|pflanzen",
        r"растительн\w*|деревь\w*|пальм\w*|сосн\w*|берёз\w*|берез\w*|лес(?:а|ом|у|ов|ной|ные|ами)?"
        r"|трав\w*|кустарник\w*|кусты|ели",
    ),
    "terrain_climate": (
        r"terreno|montañas?|montanhas?|colinas?|morros?|desierto|deserto|árido|árida|suelo|solo"
        r"|tierra roja|terra vermelha|clima|nublado|nieve|neve|llanura|planície|paisa(?:je|gem)",
        r"relief|montagnes?|collines?|désert|aride|climat|nuageux|neige|plaine|paysage",
        r"gelände|berge|hügel|wüste|trocken|boden|klima|wetter|bewölkt|schnee|ebene|landschaft",
        r"рельеф\w*|гор[ыа]?|холм\w*|пустын\w*|засушлив\w*|почв\w*|климат\w*|погод\w*"
        r"|облачн\w*|снег\w*|равнин\w*|ландшафт\w*|пейзаж\w*",
    ),
    "architecture": (
        r"arquitectura|arquitetura|edificios?|edifícios?|prédios?|casas|tejados?|techos?"
        r"|telhados?|fachadas?|iglesias?|igrejas?",
        r"bâtiments?|maisons?|toits?|immeubles?|églises?",
        r"architektur|gebäude|häuser|dächer|dach|fassaden?|kirchen?|plattenbau(?:ten)?",
        r"архитектур\w*|здани\w*|дом(?:а|ов|ами)?|крыш\w*|фасад\w*|церк\w*|хрущёвк\w*|панельк\w*",
    ),
    "landmark": (
        r"punto de referencia|lugar emblemático|monumentos?|point de repère|site emblématique"
        r"|wahrzeichen|sehenswürdigkeit(?:en)?|denkmal|ponto turístico|marco histórico",
        r"достопримечательност\w*|ориентир\w*|памятник\w*",
    ),
    "culture": (
        r"personas|gente|pessoas|ropa|roupas?|banderas?|bandeiras?|tiendas?|lojas?|negocios"
        r"|comercios?|marcas|anuncios|propaganda",
        r"personnes|gens|vêtements|drapeaux?|magasins?|commerces?|boutiques?|marques|publicités?",
        r"menschen|leute|kleidung|flaggen?|fahnen?|geschäfte|läden|marken|werbung",
        r"люд(?:и|ей)|одежд\w*|флаг\w*|магазин\w*|бренд\w*|реклам\w*",
    ),
    "sun": (
        r"sol|sombras?|hemisferio|hemisfério|soleil|ombres?|hémisphère|sonne|schatten"
        r"|hemisphäre|halbkugel|солнц\w*|тен(?:и|ь|ей)|полушари\w*",
    ),
}

CJK_TERMS: dict[str, tuple[str, ...]] = {
    "text": (
        r"标志牌|标牌|招牌|路牌|指示牌|文字|汉字|漢字|中文|语言|語言|字母|看板|標識|テキスト|言語"
        r"|ひらがな|カタカナ|ハングル|한글|표지판|간판",
    ),
    "driving_side": (r"行驶方向|通行方向|走行車線",),
    "road_markings": (r"道路标线|标线|车道线|区画線|白線|黄線|センターライン",),
    "road_furniture": (r"护栏|路桩|防撞栏|红绿灯|ガードレール|ボラード|デリネーター|信号機",),
    "vehicles": (r"车牌|汽车|车辆|車両|自動車|ナンバープレート|バス|トラック|公交车",),
    "infrastructure": (r"电线杆|电线|路灯|柏油|沥青|土路|路面|電柱|電線|街灯|アスファルト|舗装",),
    "vegetation": (
        r"植被|植物|树木|树林|棕榈|椰子树|松树|桉树|森林|草地|草坪|灌木|竹林|植生|木々|樹木|ヤシ|竹|杉",
    ),
    "terrain_climate": (
        r"地形|山脉|山丘|群山|丘陵|沙漠|干旱|土壤|红土|气候|天气|多云|阴天|平原|海岸|地貌|景观"
        r"|山々|砂漠|乾燥|土壌|赤土|気候|天気|曇り|平野|風景|景色|雪",
    ),
    "architecture": (r"建筑|房屋|楼房|屋顶|外墙|寺庙|教堂|建築|建物|家屋|住宅|屋根|外壁|神社|寺院",),
    "landmark": (
        r"地标|标志性建筑|名胜|ランドマーク|名所|观光地|観光地|故宫|长城|天安门|东方明珠|外滩|西湖"
        r"|布达拉宫|埃菲尔铁塔|自由女神像|富士山|東京タワー|スカイツリー|金閣寺|清水寺|浅草寺"
        r"|大阪城|姫路城|厳島神社|伏見稲荷|エッフェル塔",
    ),
    "culture": (r"行人|人们|服装|国旗|旗帜|商店|店铺|品牌|广告|人々|歩行者|旗|店舗|ブランド|広告",),
    "sun": (r"太阳|阳光|阴影|影子|半球|太陽|日差し|影",),
}
